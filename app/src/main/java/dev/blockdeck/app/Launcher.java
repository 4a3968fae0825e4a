package dev.blockdeck.app;

import javafx.application.Application;

import java.util.List;

/**
 * The main class. It does not extend {@link Application}, so the app also starts with JavaFX on the
 * class path ({@code java -cp … dev.blockdeck.app.Launcher}).
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.print(AppOptions.USAGE);
            return;
        }
        try {
            AppOptions.parse(list);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        Application.launch(MainApp.class, args);
    }
}
