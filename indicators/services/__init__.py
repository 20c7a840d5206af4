"""Services: what the command line and the app run, built on the calculators and the store."""
