import BinnacleCLI

Binnacle.main()
