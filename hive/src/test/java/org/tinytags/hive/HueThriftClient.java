package org.tinytags.hive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hive.service.auth.PlainSaslHelper;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.hive.service.rpc.thrift.TCloseOperationReq;
import org.apache.hive.service.rpc.thrift.TCloseSessionReq;
import org.apache.hive.service.rpc.thrift.TColumn;
import org.apache.hive.service.rpc.thrift.TExecuteStatementReq;
import org.apache.hive.service.rpc.thrift.TExecuteStatementResp;
import org.apache.hive.service.rpc.thrift.TFetchOrientation;
import org.apache.hive.service.rpc.thrift.TFetchResultsReq;
import org.apache.hive.service.rpc.thrift.TFetchResultsResp;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusReq;
import org.apache.hive.service.rpc.thrift.TGetOperationStatusResp;
import org.apache.hive.service.rpc.thrift.TGetResultSetMetadataReq;
import org.apache.hive.service.rpc.thrift.TGetSchemasReq;
import org.apache.hive.service.rpc.thrift.TGetSchemasResp;
import org.apache.hive.service.rpc.thrift.TGetTablesReq;
import org.apache.hive.service.rpc.thrift.TGetTablesResp;
import org.apache.hive.service.rpc.thrift.TOpenSessionReq;
import org.apache.hive.service.rpc.thrift.TOpenSessionResp;
import org.apache.hive.service.rpc.thrift.TOperationHandle;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TProtocolVersion;
import org.apache.hive.service.rpc.thrift.TSessionHandle;
import org.apache.hive.service.rpc.thrift.TStatus;
import org.apache.hive.service.rpc.thrift.TStatusCode;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;

/**
 * The HiveServer2 calls Hue's table browser and editor make (apps/beeswax hive_server2_lib.py),
 * over the binary Thrift transport with SASL PLAIN as user hue, impersonating a user through
 * {@code hive.server2.proxy.user}, protocol V11 (Hue's thrift_version 11). No JDBC in between.
 * Public for the local cluster's test (cluster-setup/it), which makes the same calls on a
 * HiveServer2 of its own JVM.
 */
public final class HueThriftClient implements AutoCloseable {
  private final TTransport transport;
  private final TCLIService.Client client;
  private final TSessionHandle session;
  private TOperationHandle lastOperation;

  public HueThriftClient(String host, int port, String impersonated) throws Exception {
    transport = PlainSaslHelper.getPlainTransport("hue", "hue", new TSocket(host, port));
    transport.open();
    client = new TCLIService.Client(new TBinaryProtocol(transport));
    TOpenSessionReq open = new TOpenSessionReq(TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V11);
    open.setUsername("hue");
    open.setConfiguration(Map.of("hive.server2.proxy.user", impersonated));
    TOpenSessionResp opened = client.OpenSession(open);
    check(opened.getStatus(), "OpenSession");
    session = opened.getSessionHandle();
  }

  /** GetSchemas(schemaName='*'): TABLE_SCHEM of each. */
  public List<String> schemas() throws Exception {
    TGetSchemasReq request = new TGetSchemasReq(session);
    request.setSchemaName("*");
    TGetSchemasResp response = client.GetSchemas(request);
    check(response.getStatus(), "GetSchemas");
    return column(fetch(response.getOperationHandle()), 0);
  }

  /** GetTables(db, '*', [TABLE, VIEW, EXTERNAL_TABLE, MATERIALIZED_VIEW]): name to type. */
  public Map<String, String> tables(String database) throws Exception {
    TGetTablesReq request = new TGetTablesReq(session);
    request.setSchemaName(database);
    request.setTableName("*");
    request.setTableTypes(List.of("TABLE", "VIEW", "EXTERNAL_TABLE", "MATERIALIZED_VIEW"));
    TGetTablesResp response = client.GetTables(request);
    check(response.getStatus(), "GetTables");
    List<List<String>> rows = fetch(response.getOperationHandle());
    Map<String, String> tables = new LinkedHashMap<>();
    for (List<String> row : rows) {
      tables.put(row.get(2), row.get(3));
    }
    return tables;
  }

  /** A synchronous statement, as the table browser sends DESCRIBE and SHOW PARTITIONS. */
  public List<List<String>> execute(String sql) throws Exception {
    TExecuteStatementReq request = new TExecuteStatementReq(session, sql);
    TExecuteStatementResp response = client.ExecuteStatement(request);
    check(response.getStatus(), sql);
    return fetch(response.getOperationHandle());
  }

  /** As the editor runs a query: runAsync, GetOperationStatus until FINISHED, then fetch. */
  public List<List<String>> executeAsync(String sql) throws Exception {
    TExecuteStatementReq request = new TExecuteStatementReq(session, sql);
    request.setRunAsync(true);
    TExecuteStatementResp response = client.ExecuteStatement(request);
    check(response.getStatus(), sql);
    TOperationHandle operation = response.getOperationHandle();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      TGetOperationStatusResp status = client.GetOperationStatus(
          new TGetOperationStatusReq(operation));
      check(status.getStatus(), "GetOperationStatus");
      TOperationState state = status.getOperationState();
      if (state == TOperationState.FINISHED_STATE) {
        break;
      }
      if (state == TOperationState.ERROR_STATE || state == TOperationState.CANCELED_STATE
          || state == TOperationState.CLOSED_STATE || System.nanoTime() > deadline) {
        throw new IllegalStateException(sql + ": " + state + " " + status.getErrorMessage());
      }
      Thread.sleep(100);
    }
    check(client.GetResultSetMetadata(new TGetResultSetMetadataReq(operation)).getStatus(),
        "GetResultSetMetadata");
    lastOperation = operation;
    return fetch(operation, false);
  }

  /** FetchResults(fetchType=1) on the last query: the logs Hue shows beside it. */
  public void fetchLogs() throws Exception {
    TFetchResultsReq request = new TFetchResultsReq(lastOperation,
        TFetchOrientation.FETCH_NEXT, 1000);
    request.setFetchType((short) 1);
    check(client.FetchResults(request).getStatus(), "FetchResults(fetchType=1)");
    client.CloseOperation(new TCloseOperationReq(lastOperation));
  }

  private List<List<String>> fetch(TOperationHandle operation) throws Exception {
    return fetch(operation, true);
  }

  /** Every row of an operation, as strings (columnar results, protocol V6 and later). */
  private List<List<String>> fetch(TOperationHandle operation, boolean close) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    while (true) {
      TFetchResultsResp response = client.FetchResults(new TFetchResultsReq(operation,
          TFetchOrientation.FETCH_NEXT, 1000));
      check(response.getStatus(), "FetchResults");
      List<TColumn> columns = response.getResults().getColumns();
      int count = columns.isEmpty() ? 0 : size(columns.get(0));
      for (int r = 0; r < count; r++) {
        List<String> row = new ArrayList<>();
        for (TColumn column : columns) {
          row.add(value(column, r));
        }
        rows.add(row);
      }
      if (count == 0) {
        break;
      }
    }
    if (close) {
      client.CloseOperation(new TCloseOperationReq(operation));
    }
    return rows;
  }

  private static int size(TColumn column) {
    return switch (column.getSetField()) {
      case STRING_VAL -> column.getStringVal().getValuesSize();
      case I32_VAL -> column.getI32Val().getValuesSize();
      case I64_VAL -> column.getI64Val().getValuesSize();
      case I16_VAL -> column.getI16Val().getValuesSize();
      case BYTE_VAL -> column.getByteVal().getValuesSize();
      case BOOL_VAL -> column.getBoolVal().getValuesSize();
      case DOUBLE_VAL -> column.getDoubleVal().getValuesSize();
      case BINARY_VAL -> column.getBinaryVal().getValuesSize();
    };
  }

  private static String value(TColumn column, int row) {
    return switch (column.getSetField()) {
      case STRING_VAL -> column.getStringVal().getValues().get(row);
      case I32_VAL -> String.valueOf(column.getI32Val().getValues().get(row));
      case I64_VAL -> String.valueOf(column.getI64Val().getValues().get(row));
      case I16_VAL -> String.valueOf(column.getI16Val().getValues().get(row));
      case BYTE_VAL -> String.valueOf(column.getByteVal().getValues().get(row));
      case BOOL_VAL -> String.valueOf(column.getBoolVal().getValues().get(row));
      case DOUBLE_VAL -> String.valueOf(column.getDoubleVal().getValues().get(row));
      case BINARY_VAL -> String.valueOf(column.getBinaryVal().getValues().get(row));
    };
  }

  private static List<String> column(List<List<String>> rows, int index) {
    return rows.stream().map(r -> r.get(index)).toList();
  }

  private static void check(TStatus status, String what) {
    if (status.getStatusCode() != TStatusCode.SUCCESS_STATUS
        && status.getStatusCode() != TStatusCode.SUCCESS_WITH_INFO_STATUS) {
      throw new IllegalStateException(what + ": " + status.getStatusCode() + " "
          + status.getErrorMessage());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      client.CloseSession(new TCloseSessionReq(session));
    } finally {
      transport.close();
    }
  }
}
