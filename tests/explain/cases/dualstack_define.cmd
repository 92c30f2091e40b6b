explain examples/dualstack.pol 'tcp 198.51.100.7 -> 172.20.1.1 port 9100' 'udp 198.51.100.8 -> 172.20.1.1 port 9100'
