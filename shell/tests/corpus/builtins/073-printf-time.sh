# printf %(fmt)T: a given time in UTC and in named zones; now and the start are numbers
printf '%(%Y-%m-%d %H:%M:%S)T\n' 0
printf '%(%F %T %Z)T\n' 1700000000
TZ=America/New_York printf '%(%F %H:%M %Z %z)T\n' 1700000000
TZ=Europe/Paris; printf '%(%H:%M %Z)T\n' 1700000000
TZ=UTC
printf '%(%s)T\n' 1234567890
printf '[%(%Y)T]\n' 0 86400000
printf '%(%a %b %e %j %u %V)T\n' 1700000000
[[ $(printf '%(%s)T' -1) -ge 1700000000 ]] && echo "now is a time"
[[ $(printf '%(%s)T') -ge 1700000000 ]] && echo "no argument is now"
[[ $(printf '%(%s)T' -2) -le $(printf '%(%s)T' -1) ]] && echo "start is not after now"
printf -v stamp '%(%Y%m%d)T' 0; echo "$stamp"
printf '%20(%H:%M)T|\n' 0
printf '%-10(%H)T|\n' 0
export TZ=Asia/Tokyo; printf '%(%H %Z)T\n' 0
TZ=:Europe/London; printf '%(%H %Z)T\n' 0
unset TZ; printf '%(%H)T\n' 0
printf '%(%J|%H)T\n' 0
