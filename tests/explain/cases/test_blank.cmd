test examples/site.pol tests/explain/cases/blank.test
