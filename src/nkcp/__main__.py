from nkcp.cli import main

main()
