echo 'a\tb'
