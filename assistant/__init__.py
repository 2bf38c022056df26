"""Retrieval policy, prompts, LLM clients, answers, citations and claim checks."""
