# stderr: unstable
exit abc
