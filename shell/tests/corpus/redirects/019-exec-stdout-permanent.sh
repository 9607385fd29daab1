# posix
exec > o.txt; echo captured; exec >&2; cat o.txt >&2
