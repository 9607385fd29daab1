# posix
false | true; echo $?; true | false; echo $?
