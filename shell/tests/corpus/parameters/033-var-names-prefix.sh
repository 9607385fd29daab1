myA=1; myB=2; echo ${!my*}
