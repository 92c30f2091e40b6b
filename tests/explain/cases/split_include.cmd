explain examples/split.pol 'tcp 2001:db8:ffff::5 -> 2001:db8:a::db port ssh'
