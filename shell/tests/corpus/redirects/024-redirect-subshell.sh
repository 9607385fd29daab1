# posix
(echo sub; echo sub2) > o.txt; wc -l < o.txt
