explain - -
