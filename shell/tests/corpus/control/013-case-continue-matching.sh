case ab in a*) echo A;;& *b) echo B;; *) echo C;; esac
