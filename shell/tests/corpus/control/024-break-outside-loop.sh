# stderr: unstable
break; echo after
