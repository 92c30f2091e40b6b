explain examples/site.pol ''
