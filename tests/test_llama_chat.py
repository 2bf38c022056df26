"""What LlamaCppChat does to messages before llama.cpp formats them."""

from __future__ import annotations


def test_system_messages_are_merged_for_formats_without_a_system_turn() -> None:
    from assistant.llama_cpp_chat import merge_system
    from assistant.llm import Message

    merged = merge_system([Message("system", "Rules."), Message("user", "Q?")])
    assert merged == [Message("user", "Rules.\n\nQ?")]
    assert merge_system([Message("user", "Q?")]) == [Message("user", "Q?")]
