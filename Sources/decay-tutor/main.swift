import DecayCLI

ProcessEntry.main()
