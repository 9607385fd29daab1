bash -c 'echo nested $((1+1))'
