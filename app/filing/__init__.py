"""Filing: an organisation's contracts from draft to submission, their attachments and deadlines."""
