explain examples/site.pol 'icmp 192.0.2.7 -> 192.0.2.1 type echo'
