"""Citizen tokens for the intake benchmark (reference/submit_signed.lua), signed as a portal
signs them (README, "Citizen tokens") with the demo's public key for the `app` channel.

    python3 reference/sign_tokens.py WAVE COUNT > /tmp/tokens.txt
"""
import base64
import hmac
import sys
import time

KEY = bytes.fromhex("6d696e78696e2064656d6f20706f7274616c206b65792c207075626c69632121")
wave, count = int(sys.argv[1]), int(sys.argv[2])
expires = int(time.time()) + 24 * 3600
run = int(time.time())
out = sys.stdout
for k in range(count):
    text = f"v1.{wave}.bench-{run}-{k}.{expires}"
    signature = base64.urlsafe_b64encode(hmac.new(KEY, text.encode(), "sha256").digest()).rstrip(b"=")
    out.write(f"{text}.{signature.decode()}\n")
