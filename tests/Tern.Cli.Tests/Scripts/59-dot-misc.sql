-- .print, .mode with no arguments, and unknown commands.
.print hello world
.print "quoted \"text\"" 'single \t kept'
.mode
.mode csv
.mode
.nosuchcommand arg
.headers
.separator
.mode nosuchmode
SELECT 'after errors';
.headers maybe
SELECT 1 AS x;
