set -x; echo traced 'a b'; x=1
