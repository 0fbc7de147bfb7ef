print("leadrelay")
