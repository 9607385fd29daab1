echo $LINENO

echo $LINENO
