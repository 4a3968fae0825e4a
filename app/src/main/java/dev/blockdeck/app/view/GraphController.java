package dev.blockdeck.app.view;

import dev.blockdeck.app.viewmodel.GraphViewModel;
import dev.blockdeck.app.viewmodel.IothreadViewModel;
import dev.blockdeck.app.viewmodel.MoveViewModel;
import dev.blockdeck.app.viewmodel.NoticeBoard;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Function;

/** Controller of {@code GraphView.fxml}: binds the toolbar and the canvas to a {@link GraphViewModel}. */
public final class GraphController {

    static final String HINT = "Click a card, an edge or an IOThread's lane header for its details. Drag a drive onto"
            + " another lane to move it (or right-click it, or select it and press Ctrl+M); drag the background to pan,"
            + " wheel to zoom.";
    private static final PseudoClass HINTING = PseudoClass.getPseudoClass("hint");

    @FXML private Label graphSummary;
    @FXML private Label graphWarnings;
    @FXML private ProgressIndicator graphProgress;
    @FXML private Label graphProgressText;
    @FXML private Label graphZoom;
    @FXML private Button graphFit;
    @FXML private Button graphZoomIn;
    @FXML private Button graphZoomOut;
    @FXML private Button graphRefresh;
    @FXML private Button graphAddIothread;
    @FXML private Pane graphNotices;
    @FXML private GraphCanvas graphCanvas;
    @FXML private Minimap graphMinimap;
    @FXML private ToggleButton graphMinimapToggle;
    @FXML private TextField graphFind;
    @FXML private Label graphFindCount;
    @FXML private VBox graphMessageBox;
    @FXML private HBox graphLegend;
    @FXML private Label graphMessage;
    @FXML private Label graphDetails;
    private GraphViewModel vm;
    private GraphFind find;
    private GraphMoves moves;
    /** The transaction composer's items for a card's context menu (after the move submenu). */
    private Function<String, ContextMenu> moreCardItems = key -> null;

    public void bind(GraphViewModel vm) {
        graphSummary.textProperty().bind(vm.summaryProperty());
        graphWarnings.visibleProperty().bind(vm.warningsProperty().isNotEmpty());
        graphWarnings.managedProperty().bind(graphWarnings.visibleProperty());
        Tooltip warningTip = new Tooltip();
        warningTip.textProperty().bind(vm.warningsProperty());
        warningTip.setWrapText(true);
        warningTip.setMaxWidth(480);
        graphWarnings.setTooltip(warningTip);

        var busy = vm.layingOutProperty().or(vm.readingProperty());
        graphProgress.visibleProperty().bind(busy);
        graphProgress.progressProperty().bind(Bindings.when(vm.layingOutProperty())
                .then(vm.layoutProgressProperty()).otherwise(-1));
        graphProgressText.visibleProperty().bind(busy);
        graphProgressText.textProperty().bind(Bindings.when(vm.layingOutProperty())
                .then("Laying out…").otherwise("Reading…"));

        graphMessage.textProperty().bind(vm.messageProperty());
        graphMessageBox.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        graphMessageBox.setMouseTransparent(true);
        graphLegend.visibleProperty().bind(vm.layoutProperty().isNotNull());

        graphZoom.textProperty().bind(Bindings.format("%.0f %%", graphCanvas.zoomProperty().multiply(100)));
        var selection = graphCanvas.selectionTextProperty();
        graphDetails.textProperty().bind(Bindings.when(selection.isEmpty()).then(HINT)
                .otherwise(Bindings.createStringBinding(() -> selection.get().replace("\n", "  ·  "), selection)));
        Tooltip detailsTip = new Tooltip();
        detailsTip.textProperty().bind(selection);
        detailsTip.setWrapText(true);
        detailsTip.setMaxWidth(520);
        graphDetails.setTooltip(detailsTip);
        selection.addListener((o, a, b) -> graphDetails.pseudoClassStateChanged(HINTING, b.isEmpty()));
        graphDetails.pseudoClassStateChanged(HINTING, true);

        graphFit.setOnAction(e -> graphCanvas.fit());
        graphZoomIn.setOnAction(e -> graphCanvas.zoomBy(1.25));
        graphZoomOut.setOnAction(e -> graphCanvas.zoomBy(0.8));
        graphRefresh.setOnAction(e -> vm.refresh());

        graphMinimap.attach(graphCanvas);
        graphMinimap.enabledProperty().bind(graphMinimapToggle.selectedProperty());
        find = new GraphFind(graphFind, graphFindCount, graphCanvas);

        graphCanvas.setCardMenu(this::cardMenu);
        graphCanvas.show(vm.layoutProperty().get());
        vm.layoutProperty().addListener((o, old, layout) -> graphCanvas.show(layout));
        vm.select(graphCanvas.selectedKeyProperty().get());
        graphCanvas.selectedKeyProperty().addListener((o, old, key) -> vm.select(key));
        this.vm = vm;
    }

    /** Puts the cursor in the find field (Ctrl+F). */
    void focusFind() {
        find.focus();
    }

    /** Drive moves by drag and drop, IOThread creation and deletion, and their notices. */
    public void bindMoves(MoveViewModel moveVm, IothreadViewModel iothreadVm, NoticeBoard notices) {
        moves = new GraphMoves(graphCanvas, graphNotices, graphAddIothread, moveVm, iothreadVm, notices);
        graphAddIothread.setDisable(false);
    }

    /** The new-IOThread dialog (menu and shortcut). */
    void newIothread() {
        if (moves != null) {
            moves.newIothread();
        }
    }

    /** The whole graph at 100 % as an image, or null when nothing is drawn (the PNG export). */
    WritableImage snapshot() {
        return graphCanvas.snapshot();
    }

    /** More items for the cards' right-click menus, by vertex key (the transaction composer's actions). */
    void setCardMenu(Function<String, ContextMenu> menus) {
        moreCardItems = menus == null ? key -> null : menus;
    }

    /** A card's right-click menu: "Move to IOThread ▸" for a drive, then the other items; null for none. */
    private ContextMenu cardMenu(String key) {
        Menu move = moves == null ? null : moves.menus().submenu(key);
        ContextMenu more = moreCardItems.apply(key);
        if (move == null) {
            return more;
        }
        ContextMenu menu = new ContextMenu(move);
        if (more != null && !more.getItems().isEmpty()) {
            menu.getItems().add(new SeparatorMenuItem());
            menu.getItems().addAll(List.copyOf(more.getItems()));
        }
        return menu;
    }

    /** Edit › Move to IOThread, filled for the selection when the Edit menu opens. */
    void fillMoveMenu(Menu menu) {
        if (moves == null) {
            menu.getItems().clear();
            menu.setDisable(true);
        } else {
            moves.menus().fill(menu);
        }
    }

    /** Shortcut+M: the lanes to move the selected drive to, as a popup at its card. */
    void chooseMoveTarget() {
        if (moves != null) {
            moves.menus().choose();
        }
    }

    void fit() {
        graphCanvas.fit();
    }

    void refresh() {
        if (vm != null) {
            vm.refresh();
        }
    }
}
