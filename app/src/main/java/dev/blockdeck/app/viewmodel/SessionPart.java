package dev.blockdeck.app.viewmodel;

import dev.blockdeck.app.session.Session;

/** A ViewModel that follows the console's session: told when one opens and when it is gone. */
public interface SessionPart {

    /** A session is open; called on the thread that opened it, before any command of ours was sent. */
    void attach(Session session);

    /** The session is gone (FX thread); {@code why} is for the user. */
    void detach(String why);
}
