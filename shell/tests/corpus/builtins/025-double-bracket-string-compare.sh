[[ abc < abd ]] && echo lt
