"""Normalisers: turn surface strings (numbers, money, places, names) into typed values."""
