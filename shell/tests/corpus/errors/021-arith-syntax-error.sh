# stderr: unstable
echo $((1 +)); echo no
