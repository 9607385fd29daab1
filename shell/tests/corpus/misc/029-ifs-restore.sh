# posix
old=$IFS; IFS=,; set -- $(echo 'a,b'); IFS=$old; echo $# "$1"
