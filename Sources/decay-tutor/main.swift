print("decay-tutor")
