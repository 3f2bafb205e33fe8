print("decay-tutor: the command line is being wired")
