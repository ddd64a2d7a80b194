"""Font files shipped with nmops (a Noto Sans SC subset under the SIL OFL 1.1; see OFL.txt)."""
