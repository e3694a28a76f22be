from voc.entry import main

main()
