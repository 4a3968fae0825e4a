package dev.blockdeck.app.view;

import atlantafx.base.theme.Styles;
import dev.blockdeck.app.viewmodel.ConnectionState;
import dev.blockdeck.app.viewmodel.ConsoleViewModel;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Controller of {@code ConsoleView.fxml}: binds the controls to a {@link ConsoleViewModel}. It holds no
 * state of its own and never talks to the session.
 */
public final class ConsoleController {

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
        if (vm.graph() != null) {
            graphController.bind(vm.graph());
        }

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
