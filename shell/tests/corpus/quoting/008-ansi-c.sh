echo $'tab\there' $'nl\\n' $'\x41\101'
