# A fixed amount of CPU work: its duration follows the CPU share it gets.
def handler(event, context):
    total = 0
    for i in range(int(event.get("n", 1000000))):
        total += i * i % 7
    return total
