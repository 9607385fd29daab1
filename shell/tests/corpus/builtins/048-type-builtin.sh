type cd; type if
