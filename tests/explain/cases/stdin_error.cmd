explain examples/site.pol - < tests/explain/cases/stdin_error.in
