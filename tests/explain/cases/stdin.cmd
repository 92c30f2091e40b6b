explain examples/site.pol - < tests/explain/cases/stdin.in
