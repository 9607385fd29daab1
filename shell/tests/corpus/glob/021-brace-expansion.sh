echo {a,b,c}x x{1..3} {z..x}
