import ServerSentEvents
print("placeholder")
