explain tests/explain/cases/via.pol 'udp 2001:db8::20 -> 2001:db8:ffff::2 port 5555 in br/0'
