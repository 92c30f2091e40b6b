test examples/site.pol
