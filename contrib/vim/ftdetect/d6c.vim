" d6c policies (d6c.pol(5)) and their test files.
au BufRead,BufNewFile *.pol setfiletype d6c
au BufRead,BufNewFile *.pol.test setfiletype d6c
