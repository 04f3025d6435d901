-- expected rows, to be written
/* nothing yet */
