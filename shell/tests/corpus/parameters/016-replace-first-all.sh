s=foo.bar.baz; echo ${s/./-} ${s//./-}
