test examples/site.pol tests/explain/cases/syntax.test
