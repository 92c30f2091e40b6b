explain examples/site.pol
