package dev.blockdeck.app.view;

import atlantafx.base.theme.Styles;
import dev.blockdeck.app.settings.Settings;
import dev.blockdeck.app.settings.Theme;
import dev.blockdeck.app.viewmodel.ConnectionState;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import dev.blockdeck.app.viewmodel.SettingsViewModel;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Controller of {@code ConsoleView.fxml}: binds the controls to a {@link ConsoleViewModel}, hands the
 * included views their ViewModels, and runs the menu (exports, navigation). It never talks to the session.
 */
public final class ConsoleController {

    @FXML private BorderPane consoleRoot;
    @FXML private Label sessionDescription;
    @FXML private FontIcon stateIcon;
    @FXML private Label connectionState;
    @FXML private Label connectionError;
    @FXML private Label socketPath;
    @FXML private Label qemuVersion;
    @FXML private Label vmName;
    @FXML private Label runState;
    @FXML private Label statusMessage;
    @FXML private Label appVersion;
    @FXML private GraphController graphController;
    @FXML private InspectorController inspectorController;
    @FXML private QmpConsoleController qmpConsoleController;
    @FXML private WireTraceController wireTraceController;
    @FXML private EventLogController eventLogController;
    @FXML private TransactionController transactionController;
    @FXML private IoController ioController;
    @FXML private SplitPane graphSplit;
    @FXML private SplitPane mainSplit;
    @FXML private TabPane bottomTabs;
    @FXML private Tab consoleTab;
    @FXML private Tab wireTab;
    @FXML private Tab eventsTab;
    @FXML private Tab transactionTab;
    @FXML private Tab ioTab;
    @FXML private MenuItem exportDotItem;
    @FXML private MenuItem exportPngItem;
    @FXML private MenuItem quitItem;
    @FXML private MenuItem refreshItem;
    @FXML private MenuItem fitItem;
    @FXML private MenuItem findItem;
    @FXML private Menu openScenarioMenu;
    @FXML private Menu openScenarioQemuMenu;
    @FXML private MenuItem attachItem;
    @FXML private MenuItem consoleItem;
    @FXML private MenuItem wireItem;
    @FXML private MenuItem eventsItem;
    @FXML private MenuItem transactionItem;
    @FXML private MenuItem ioItem;
    @FXML private CheckMenuItem darkItem;
    @FXML private Menu recentMenu;
    @FXML private Label recentTitle;
    @FXML private VBox recentList;
    @FXML private MenuItem undoItem;
    @FXML private MenuItem redoItem;
    @FXML private MenuItem newIothreadItem;
    @FXML private Menu editMenu;
    @FXML private Menu moveMenu;
    @FXML private MenuItem moveDriveItem;

    /** Asks where to write an export; null when the user cancels. Tests replace the file dialog. */
    public interface ExportTarget {
        Path choose(String title, String extension, String suggestedName);
    }

    private ExportTarget exportTarget = this::askForFile;
    private ChangeListener<Theme> themeListener;
    private RecentConnectionsView recent;
    private ConsoleViewModel vm;

    /** Where the graph/tabs divider moves (at most) when the Transaction or I/O tab is shown. */
    static final double TRANSACTION_DIVIDER = 0.5;

    private static final String[] STATE_STYLES = {Styles.SUCCESS, Styles.DANGER, Styles.WARNING, Styles.ACCENT};

    public void bind(ConsoleViewModel vm, String version) {
        sessionDescription.textProperty().bind(vm.sessionDescriptionProperty());
        connectionState.textProperty().bind(vm.connectionStateTextProperty());
        connectionError.textProperty().bind(vm.errorTextProperty());
        connectionError.visibleProperty().bind(vm.errorTextProperty().isNotEmpty());
        connectionError.managedProperty().bind(connectionError.visibleProperty());
        socketPath.textProperty().bind(vm.socketPathProperty());
        qemuVersion.textProperty().bind(vm.qemuVersionProperty());
        vmName.textProperty().bind(vm.vmNameProperty());
        runState.textProperty().bind(vm.runStateProperty());
        statusMessage.textProperty().bind(vm.statusMessageProperty());
        appVersion.setText("BlockDeck " + version);
        this.vm = vm;
        if (vm.graph() != null) {
            graphController.bind(vm.graph());
        }
        if (vm.inspector() != null) {
            inspectorController.bind(vm.inspector());
        }
        qmpConsoleController.bind(vm.qmpConsole());
        wireTraceController.bind(vm.wireTrace());
        eventLogController.bind(vm.eventLog());
        if (vm.transaction() != null) {
            transactionController.bind(vm.transaction());
            transactionController.setOnAdded(() -> bottomTabs.getSelectionModel().select(transactionTab));
            graphController.setCardMenu(transactionController::cardMenu);
        }
        if (vm.io() != null) {
            ioController.bind(vm.io());
            ioTab.selectedProperty().addListener((o, a, shown) -> ioController.setShown(shown));
            ioController.setShown(ioTab.isSelected());
        }
        if (vm.moves() != null) {
            graphController.bindMoves(vm.moves(), vm.iothreads(), vm.notices());
            EditMenu.bind(vm.edits(), undoItem, redoItem, vmName);
        }
        editMenu.setOnShowing(e -> graphController.fillMoveMenu(moveMenu));
        moveDriveItem.setOnAction(e -> graphController.chooseMoveTarget());
        moveDriveItem.setDisable(vm.moves() == null);
        newIothreadItem.setOnAction(e -> graphController.newIothread());
        newIothreadItem.setDisable(vm.iothreads() == null);
        SplitPane.setResizableWithParent(graphSplit.getItems().get(1), false);
        bindMenu();

        Tooltip socketTip = new Tooltip();
        socketTip.textProperty().bind(vm.socketPathProperty());
        socketPath.setTooltip(socketTip);
        Tooltip errorTip = new Tooltip();
        errorTip.textProperty().bind(vm.errorTextProperty());
        errorTip.setWrapText(true);
        errorTip.setMaxWidth(480);
        connectionError.setTooltip(errorTip);

        showState(vm.connectionStateProperty().get());
        vm.connectionStateProperty().addListener((obs, old, state) -> showState(state));
    }

    private void bindMenu() {
        exportDotItem.setOnAction(e -> exportDot());
        exportPngItem.setOnAction(e -> exportPng());
        quitItem.setOnAction(e -> window().hide());
        refreshItem.setOnAction(e -> graphController.refresh());
        fitItem.setOnAction(e -> graphController.fit());
        findItem.setOnAction(e -> graphController.focusFind());
        consoleItem.setOnAction(e -> {
            bottomTabs.getSelectionModel().select(consoleTab);
            qmpConsoleController.focusCommandLine();
        });
        wireItem.setOnAction(e -> bottomTabs.getSelectionModel().select(wireTab));
        eventsItem.setOnAction(e -> bottomTabs.getSelectionModel().select(eventsTab));
        transactionItem.setOnAction(e -> bottomTabs.getSelectionModel().select(transactionTab));
        ioItem.setOnAction(e -> bottomTabs.getSelectionModel().select(ioTab));
        bottomTabs.getSelectionModel().selectedItemProperty().addListener((o, a, tab) -> {
            if (tab == consoleTab) {
                qmpConsoleController.focusCommandLine();
            }
            // the composer's form and the timeline want more height than a log does
            if ((tab == transactionTab || tab == ioTab) && mainSplit.getDividerPositions()[0] > TRANSACTION_DIVIDER) {
                mainSplit.setDividerPositions(TRANSACTION_DIVIDER);
            }
        });
    }

    /**
     * The window's remembered state: the theme (View › Dark theme, Shortcut+Shift+D) and the recent connections
     * (File › Open recent and the sidebar).
     */
    public void bindShell(SettingsViewModel settings) {
        Themes.mark(root(), settings.themeProperty().get());
        darkItem.setSelected(settings.themeProperty().get() == Theme.DARK);
        darkItem.selectedProperty().addListener((o, a, dark) -> settings.themeProperty().set(dark ? Theme.DARK : Theme.LIGHT));
        // the settings outlive this window's session: listen weakly, so a replaced session's view can go
        themeListener = (o, a, theme) -> {
            darkItem.setSelected(theme == Theme.DARK);
            Themes.apply(root(), theme);
        };
        settings.themeProperty().addListener(new WeakChangeListener<>(themeListener));
        recent = new RecentConnectionsView(settings, recentMenu, recentList, recentTitle);
    }

    /** Puts the dividers and the bottom tab back as {@code s} remembers them (after the window is shown). */
    public void restoreLayout(Settings s) {
        if (!Double.isNaN(s.mainDivider())) {
            mainSplit.setDividerPositions(s.mainDivider());
        }
        if (!Double.isNaN(s.graphDivider())) {
            graphSplit.setDividerPositions(s.graphDivider());
        }
        bottomTabs.getTabs().stream().filter(t -> t.getId() != null && t.getId().equals(s.lastTab())).findFirst()
                .ifPresent(t -> bottomTabs.getSelectionModel().select(t));
    }

    /** {@code s} with this window's dividers and bottom tab. */
    public Settings saveLayout(Settings s) {
        Tab tab = bottomTabs.getSelectionModel().getSelectedItem();
        return s.withDividers(mainSplit.getDividerPositions()[0], graphSplit.getDividerPositions()[0])
                .withLastTab(tab == null ? null : tab.getId());
    }

    /** This view's top node: the window's root, unless ControlsFX has put its DecorationPane over it. */
    private Parent root() {
        return consoleRoot;
    }

    /**
     * File › Open scenario: one item per shipped scenario; choosing one opens it in a new console window
     * (through {@code open}: the app decides how, this view never starts sessions).
     */
    public void setScenarios(List<String> names, Consumer<String> open) {
        openScenarioMenu.getItems().clear();
        for (String name : names) {
            MenuItem item = new MenuItem(name);
            item.setMnemonicParsing(false);
            item.setId("openScenario-" + name);
            item.setOnAction(e -> open.accept(name));
            openScenarioMenu.getItems().add(item);
        }
        openScenarioMenu.setDisable(names.isEmpty());
    }

    /**
     * File › Open scenario on QEMU: the same scenarios on a real QEMU in a new window; disabled, with the reason in
     * its tooltip-less text, when no QEMU was found.
     */
    public void setQemuScenarios(List<String> names, boolean qemuFound, Consumer<String> open) {
        openScenarioQemuMenu.getItems().clear();
        for (String name : names) {
            MenuItem item = new MenuItem(name);
            item.setMnemonicParsing(false);
            item.setId("openScenarioQemu-" + name);
            item.setOnAction(e -> open.accept(name));
            openScenarioQemuMenu.getItems().add(item);
        }
        openScenarioQemuMenu.setDisable(names.isEmpty() || !qemuFound);
        if (!qemuFound) {
            openScenarioQemuMenu.setText("Open scenario on QEMU (qemu-system-x86_64 not found)");
        }
    }

    /** File › Attach to a QMP socket: asks for the socket's path; {@code attach} opens a window on it. */
    public void setAttach(Consumer<java.nio.file.Path> attach) {
        attachItem.setOnAction(e -> {
            javafx.scene.control.TextInputDialog d = new javafx.scene.control.TextInputDialog("/tmp/vm.sock");
            d.setTitle("Attach to a QMP socket");
            d.setHeaderText("The QMP socket of a running QEMU 7.2 or later (or a standalone engine), as given to\n"
                    + "-qmp unix:PATH,server=on,wait=off");
            d.setContentText("Socket path:");
            d.initOwner(attachItem.getParentPopup() == null ? null : attachItem.getParentPopup().getOwnerWindow());
            d.showAndWait().map(String::strip).filter(t -> !t.isEmpty()).ifPresent(t -> attach.accept(java.nio.file.Path.of(t)));
        });
    }

    /** File › Export graph as DOT (Shortcut+E). */
    void exportDot() {
        Path file = exportTarget.choose("Export the block graph as Graphviz DOT", "dot", baseName() + ".dot");
        if (file != null) {
            vm.exportDot(file);
        }
    }

    /** File › Export graph as PNG (Shortcut+Shift+E): the whole graph at 100 %, whatever the zoom. */
    void exportPng() {
        WritableImage image = graphController.snapshot();
        if (image == null) {
            vm.showStatus("Nothing to export: the graph is not drawn yet.");
            return;
        }
        Path file = exportTarget.choose("Export the block graph as PNG", "png", baseName() + ".png");
        if (file == null) {
            return;
        }
        try {
            PngFiles.write(image, file);
            vm.showStatus("Exported the block graph as PNG (" + (int) image.getWidth() + "×" + (int) image.getHeight()
                    + ") to " + file);
        } catch (IOException | RuntimeException ex) {
            vm.showStatus("PNG export failed: " + ex.getMessage());
        }
    }

    private String baseName() {
        String name = vmName.getText();
        return name == null || name.isBlank() || name.startsWith("(") || name.startsWith("—") || name.startsWith("unavailable")
                ? "block-graph" : name.replaceAll("[^A-Za-z0-9._-]", "_") + "-block-graph";
    }

    private Path askForFile(String title, String extension, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(suggestedName);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension.toUpperCase() + " files", "*." + extension));
        File f = chooser.showSaveDialog(window());
        return f == null ? null : f.toPath();
    }

    private Window window() {
        return vmName.getScene().getWindow();
    }

    /** For tests: where exports go instead of asking with a file dialog. */
    public void setExportTarget(ExportTarget target) {
        this.exportTarget = target;
    }

    private void showState(ConnectionState state) {
        connectionState.getStyleClass().removeAll(STATE_STYLES);
        stateIcon.getStyleClass().removeAll(STATE_STYLES);
        String style;
        String icon;
        switch (state) {
            case CONNECTED -> { style = Styles.SUCCESS; icon = "fth-check-circle"; }
            case FAILED -> { style = Styles.DANGER; icon = "fth-x-circle"; }
            case DISCONNECTED -> { style = Styles.WARNING; icon = "fth-slash"; }
            default -> { style = Styles.ACCENT; icon = "fth-loader"; }
        }
        connectionState.getStyleClass().add(style);
        stateIcon.getStyleClass().add(style);
        stateIcon.setIconLiteral(icon);
    }
}
