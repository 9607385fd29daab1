s=abcabc; echo ${s/#ab/X} ${s/%bc/Y} ${s/#bc/Z}
